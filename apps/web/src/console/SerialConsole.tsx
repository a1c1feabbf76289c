import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client';
import { requestConsole } from './ticket';

type State = 'connecting' | 'connected' | 'disconnected';

/** The VM's serial console in xterm.js: raw bytes both ways over the console WebSocket. */
export function SerialConsole({ vmId }: { vmId: string }) {
  const termRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>('connecting');
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const wsRef = useRef<WebSocket | null>(null);

  useEffect(() => {
    if (!termRef.current) return;
    let cancelled = false;
    const term = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 14, scrollback: 5000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(termRef.current);
    fit.fit();
    const onResize = () => fit.fit();
    window.addEventListener('resize', onResize);
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    setState('connecting');
    setMessage(null);
    void (async () => {
      let url: string;
      try {
        url = (await requestConsole(vmId, 'serial')).url;
      } catch (err) {
        if (!cancelled) {
          setState('disconnected');
          setMessage(errorMessage(err));
        }
        return;
      }
      if (cancelled) return;
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      wsRef.current = ws;
      ws.onopen = () => {
        setState('connected');
        setMessage(null);
        term.focus();
        ws.send(encoder.encode('\r'));
      };
      ws.onmessage = (e) => {
        term.write(
          typeof e.data === 'string'
            ? e.data
            : decoder.decode(new Uint8Array(e.data as ArrayBuffer), { stream: true }),
        );
      };
      ws.onclose = (e) => {
        wsRef.current = null;
        setState('disconnected');
        setMessage(e.wasClean ? 'Disconnected.' : 'The serial console connection was lost.');
      };
      term.onData((d) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(encoder.encode(d));
      });
    })();
    return () => {
      cancelled = true;
      window.removeEventListener('resize', onResize);
      wsRef.current?.close();
      wsRef.current = null;
      term.dispose();
    };
  }, [vmId, attempt]);

  return (
    <div className="console">
      <div className="console-toolbar" role="toolbar" aria-label="Serial console controls">
        <span
          className={`console-state console-${state}`}
          role="status"
          aria-label={`Serial console ${state}`}
        >
          {state === 'connected' ? 'Connected' : state === 'connecting' ? 'Connecting…' : 'Disconnected'}
        </span>
        {state === 'connected' ? (
          <button type="button" className="button small" onClick={() => wsRef.current?.close()}>
            Disconnect
          </button>
        ) : (
          <button
            type="button"
            className="button small"
            disabled={state === 'connecting'}
            onClick={() => setAttempt((a) => a + 1)}
          >
            Reconnect
          </button>
        )}
      </div>
      {message && (
        <p className="console-message" role="alert">
          {message}
        </p>
      )}
      <div ref={termRef} className="console-terminal" aria-label="Serial console terminal" />
    </div>
  );
}
