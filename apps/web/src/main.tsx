import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ActivityProvider } from './activity/Activity';
import { App } from './App';
import { AuthGate } from './auth/AuthGate';
import { LiveStreamProvider } from './live/useLiveStream';
import './styles.css';

// The live stream keeps cached data current, so queries need not refetch on focus or often.
const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 15_000, gcTime: 120_000, retry: 1, refetchOnWindowFocus: false } },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthGate>
        <LiveStreamProvider>
          <BrowserRouter>
            <ActivityProvider>
              <App />
            </ActivityProvider>
          </BrowserRouter>
        </LiveStreamProvider>
      </AuthGate>
    </QueryClientProvider>
  </StrictMode>,
);
