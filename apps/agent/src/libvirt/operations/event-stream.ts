import { VirshLineStream, type VirshError, type VirshRunner } from '../process';
import { parseEventLine, parseEventParamLine, type VirshEvent } from '../mapping/parsers';

export interface DomainEventStreamHandlers {
  onEvent(ev: VirshEvent): void;
  /** The stream ended on its own (libvirtd restarted: "client socket is closed", or virsh died). */
  onEnd(error: VirshError | null, stderr: string): void;
  /** Lines that are neither events nor a multi-line event's fields (`events received: N`, …). */
  onOtherLine?(line: string): void;
}

/** virsh prints a multi-line event with one write: its fields arrive together, so a short quiet
 * period (or the next event line) ends the event. */
const MULTILINE_SETTLE_MS = 20;

/** Lines of `virsh event` → events; a multi-line event (`job-completed`: an event line ending in `:`
 * followed by `\tfield: value` lines) becomes one event with `params`. */
export class EventLineAssembler {
  private pending: VirshEvent | null = null;
  private settle: NodeJS.Timeout | null = null;

  constructor(private readonly handlers: Pick<DomainEventStreamHandlers, 'onEvent' | 'onOtherLine'>) {}

  push(line: string): void {
    const param = this.pending ? parseEventParamLine(line) : null;
    if (param) {
      this.pending!.params![param[0]] = param[1];
      this.armSettle();
      return;
    }
    this.flush();
    const ev = parseEventLine(line);
    if (!ev) {
      if (line.trim()) this.handlers.onOtherLine?.(line);
    } else if (ev.detail === undefined && line.trimEnd().endsWith(':')) {
      this.pending = { ...ev, params: {} };
      this.armSettle();
    } else {
      this.handlers.onEvent(ev);
    }
  }

  /** Delivers a multi-line event still being assembled. */
  flush(): void {
    if (this.settle) clearTimeout(this.settle);
    this.settle = null;
    const ev = this.pending;
    this.pending = null;
    if (ev) this.handlers.onEvent(ev);
  }

  /** Drops it instead. */
  discard(): void {
    if (this.settle) clearTimeout(this.settle);
    this.settle = null;
    this.pending = null;
  }

  private armSettle(): void {
    if (this.settle) clearTimeout(this.settle);
    this.settle = setTimeout(() => this.flush(), MULTILINE_SETTLE_MS);
  }
}

/** `virsh event --all --loop --timestamp` as parsed events. */
export class DomainEventStream {
  private readonly stream: VirshLineStream;
  private readonly lines: EventLineAssembler;

  constructor(runner: VirshRunner, handlers: DomainEventStreamHandlers) {
    this.lines = new EventLineAssembler(handlers);
    this.stream = new VirshLineStream(runner, ['event', '--all', '--loop', '--timestamp'], {
      onLine: (line) => this.lines.push(line),
      onEnd: ({ error, stderr }) => {
        this.lines.flush();
        handlers.onEnd(error, stderr);
      },
    });
  }

  get running(): boolean {
    return this.stream.running;
  }

  start(): void {
    this.stream.start();
  }

  stop(): Promise<void> {
    this.lines.discard();
    return this.stream.stop();
  }
}
