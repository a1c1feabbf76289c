import RFB from '@novnc/novnc';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client';
import { keysymOf } from './keysyms';
import { requestConsole } from './ticket';

type State = 'connecting' | 'connected' | 'disconnected';

/** The VM's graphical console: noVNC on the engine's console WebSocket (one-time ticket each time). */
export function VncConsole({ vmId, vmName }: { vmId: string; vmName: string }) {
  const screenRef = useRef<HTMLDivElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  const [state, setState] = useState<State>('connecting');
  const [message, setMessage] = useState<string | null>(null);
  const [desktop, setDesktop] = useState<string>('');
  const [scale, setScale] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const [paste, setPaste] = useState('');

  useEffect(() => {
    let cancelled = false;
    setState('connecting');
    setMessage(null);
    void (async () => {
      let url: string;
      try {
        url = (await requestConsole(vmId, 'vnc')).url;
      } catch (err) {
        if (!cancelled) {
          setState('disconnected');
          setMessage(errorMessage(err));
        }
        return;
      }
      if (cancelled || !screenRef.current) return;
      const rfb = new RFB(screenRef.current, url, { shared: true });
      rfb.scaleViewport = true;
      rfb.background = '#111';
      rfb.addEventListener('connect', () => {
        setState('connected');
        setMessage(null);
      });
      rfb.addEventListener('disconnect', (e) => {
        const clean = (e as CustomEvent<{ clean: boolean }>).detail?.clean;
        rfbRef.current = null;
        setState('disconnected');
        // Earlier messages no longer apply: only say how this session ended.
        setMessage(clean ? 'Disconnected.' : 'The console connection was lost.');
      });
      rfb.addEventListener('securityfailure', (e) => {
        setMessage(
          `Security failure: ${(e as CustomEvent<{ reason?: string }>).detail?.reason ?? 'refused'}`,
        );
      });
      rfb.addEventListener('desktopname', (e) => {
        setDesktop((e as CustomEvent<{ name: string }>).detail.name);
      });
      rfbRef.current = rfb;
    })();
    return () => {
      cancelled = true;
      rfbRef.current?.disconnect();
      rfbRef.current = null;
    };
  }, [vmId, attempt]);

  useEffect(() => {
    if (rfbRef.current) rfbRef.current.scaleViewport = scale;
  }, [scale, state]);

  const sendText = useCallback(() => {
    const rfb = rfbRef.current;
    if (!rfb) return;
    for (const ch of paste) {
      const keysym = keysymOf(ch);
      if (keysym !== null) rfb.sendKey(keysym, null);
    }
    setPaste('');
    rfb.focus();
  }, [paste]);

  const connected = state === 'connected';
  return (
    <div className="console">
      <div className="console-toolbar" role="toolbar" aria-label="Console controls">
        <span className={`console-state console-${state}`} role="status" aria-label={`Console ${state}`}>
          {state === 'connected'
            ? `Connected${desktop ? `: ${desktop}` : ''}`
            : state === 'connecting'
              ? 'Connecting…'
              : 'Disconnected'}
        </span>
        {connected ? (
          <button type="button" className="button small" onClick={() => rfbRef.current?.disconnect()}>
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
        <button
          type="button"
          className="button small"
          disabled={!connected}
          onClick={() => rfbRef.current?.sendCtrlAltDel()}
        >
          Send Ctrl+Alt+Del
        </button>
        <label className="console-check">
          <input type="checkbox" checked={scale} onChange={(e) => setScale(e.target.checked)} /> Scale to
          window
        </label>
        <button
          type="button"
          className="button small"
          onClick={() => void frameRef.current?.requestFullscreen?.().catch(() => undefined)}
        >
          Fullscreen
        </button>
        <form
          className="console-paste"
          onSubmit={(e) => {
            e.preventDefault();
            sendText();
          }}
        >
          <input
            aria-label="Text to type into the VM"
            placeholder="Paste text to type…"
            value={paste}
            disabled={!connected}
            onChange={(e) => setPaste(e.target.value)}
          />
          <button type="submit" className="button small" disabled={!connected || !paste}>
            Type text
          </button>
        </form>
      </div>
      {message && (
        <p className="console-message" role="alert">
          {message}
        </p>
      )}
      <div ref={frameRef} className="console-frame">
        <div
          ref={screenRef}
          className="console-screen"
          aria-label={`Screen of ${vmName}`}
          data-state={state}
        />
      </div>
    </div>
  );
}
