import { configure } from '@testing-library/react';

// findBy*/waitFor give up after 1 s by default. The portal's tests wait through react-query and
// timers in jsdom, which on a loaded CI machine can take longer without anything being wrong.
configure({ asyncUtilTimeout: 5_000 });
