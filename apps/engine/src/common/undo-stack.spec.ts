import { Logger } from '@nestjs/common';
import { UndoStack } from './undo-stack';

describe('UndoStack', () => {
  const logger = new Logger('test');
  beforeEach(() => jest.spyOn(logger, 'warn').mockImplementation(() => undefined));

  it('undoes newest first and keeps going past a failing undo', async () => {
    const done: string[] = [];
    const undo = new UndoStack(logger);
    undo.onFailure('volume a', async () => void done.push('a'));
    undo.onFailure('volume b', async () => {
      throw new Error('host gone');
    });
    undo.onFailure('domain', async () => void done.push('domain'));
    await undo.unwind();
    expect(done).toEqual(['domain', 'a']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('rollback of volume b failed: host gone'),
    );
    expect(undo.size).toBe(0);
  });

  it('runs each undo once', async () => {
    const undo = new UndoStack(logger);
    const fn = jest.fn(async () => undefined);
    undo.onFailure('x', fn);
    await undo.unwind();
    await undo.unwind();
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
