import type { ApiPaths, StreamMessage } from '@kelpie/shared-types';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { StreamCachePatcher } from './patchCache';

export type StreamState = 'connecting' | 'open' | 'closed';
type Listener = (msg: StreamMessage) => void;

export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: 'message', fn: (ev: MessageEvent<string>) => void): void;
  close(): void;
}
export type EventSourceFactory = (url: string) => EventSourceLike;

export const STREAM_URL = '/api/v1/events/stream' satisfies keyof ApiPaths;
const CLOSED = 2;

export interface LiveStreamOptions {
  url?: string;
  /** How long count invalidations are batched (ms). */
  flushMs?: number;
  createEventSource?: EventSourceFactory;
}

/**
 * The app's single live stream: one EventSource; every message patches the query cache
 * (StreamCachePatcher) and is handed to subscribers (task toasts). After a reconnect, or a
 * `stream.resync` message, the cache may have missed messages, so active queries refetch once.
 */
export function useLiveStream({
  url = STREAM_URL,
  flushMs = 1000,
  createEventSource = (u) => new EventSource(u),
}: LiveStreamOptions = {}) {
  const qc = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  const listeners = useRef(new Set<Listener>());
  const factory = useRef(createEventSource);

  useEffect(() => {
    const patcher = new StreamCachePatcher(qc);
    const es = factory.current(url);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wasOpen = false;
    let lostConnection = false;
    es.addEventListener('message', (ev) => {
      let msg: StreamMessage;
      try {
        msg = JSON.parse(ev.data) as StreamMessage;
      } catch {
        return;
      }
      // The engine says messages were lost (it could not publish, or its Redis link was cut and came
      // back): what is shown may be stale, so active queries refetch — as after a reconnect.
      if (msg.type === 'stream.resync') void qc.invalidateQueries({ refetchType: 'active' });
      else patcher.apply(msg);
      for (const l of listeners.current) l(msg);
      timer ??= setTimeout(() => {
        timer = undefined;
        patcher.flush();
      }, flushMs);
    });
    es.onopen = () => {
      setState('open');
      if (wasOpen && lostConnection) void qc.invalidateQueries({ refetchType: 'active' });
      wasOpen = true;
      lostConnection = false;
    };
    es.onerror = () => {
      lostConnection = true;
      setState(es.readyState === CLOSED ? 'closed' : 'connecting');
    };
    return () => {
      es.close();
      if (timer) clearTimeout(timer);
      patcher.flush();
    };
  }, [qc, url, flushMs]);

  const subscribe = useCallback((fn: Listener) => {
    listeners.current.add(fn);
    return () => void listeners.current.delete(fn);
  }, []);
  return useMemo(() => ({ state, subscribe }), [state, subscribe]);
}

interface LiveStreamContextValue {
  state: StreamState;
  subscribe(fn: Listener): () => void;
}
const LiveStreamContext = createContext<LiveStreamContextValue>({
  state: 'closed',
  subscribe: () => () => undefined,
});

export function LiveStreamProvider({ children, ...options }: LiveStreamOptions & { children: ReactNode }) {
  const live = useLiveStream(options);
  return <LiveStreamContext.Provider value={live}>{children}</LiveStreamContext.Provider>;
}

export function useStreamState(): StreamState {
  return useContext(LiveStreamContext).state;
}

/** Calls `fn` for every stream message while mounted. */
export function useStreamSubscription(fn: Listener): void {
  const { subscribe } = useContext(LiveStreamContext);
  const ref = useRef(fn);
  useEffect(() => {
    ref.current = fn;
  });
  useEffect(() => subscribe((m) => ref.current(m)), [subscribe]);
}
