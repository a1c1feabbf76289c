import { HealthPanel } from './health/HealthPanel';

export function App() {
  return (
    <div className="app">
      <header className="topbar">
        <h1>Kelpie</h1>
        <span className="muted">KVM fleet manager</span>
      </header>
      <main>
        <HealthPanel />
      </main>
    </div>
  );
}
