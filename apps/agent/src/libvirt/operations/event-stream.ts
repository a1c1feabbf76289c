import { VirshLineStream, type VirshError, type VirshRunner } from '../process';
import { parseEventLine, type VirshEvent } from './parsers';

export interface DomainEventStreamHandlers {
  onEvent(ev: VirshEvent): void;
  /** The stream ended on its own (libvirtd restarted: "client socket is closed", or virsh died). */
  onEnd(error: VirshError | null, stderr: string): void;
  /** Lines that are not events (continuation lines of multi-line events, etc.). */
  onOtherLine?(line: string): void;
}

/** `virsh event --all --loop --timestamp` as parsed events. */
export class DomainEventStream {
  private readonly stream: VirshLineStream;

  constructor(runner: VirshRunner, handlers: DomainEventStreamHandlers) {
    this.stream = new VirshLineStream(runner, ['event', '--all', '--loop', '--timestamp'], {
      onLine: (line) => {
        const ev = parseEventLine(line);
        if (ev) handlers.onEvent(ev);
        else if (line.trim()) handlers.onOtherLine?.(line);
      },
      onEnd: ({ error, stderr }) => handlers.onEnd(error, stderr),
    });
  }

  get running(): boolean {
    return this.stream.running;
  }

  start(): void {
    this.stream.start();
  }

  stop(): Promise<void> {
    return this.stream.stop();
  }
}
