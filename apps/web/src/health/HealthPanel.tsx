import type { DependencyHealth } from '@kelpie/shared-types';
import { useHealth } from './useHealth';

function Dependency({ name, dep }: { name: string; dep: DependencyHealth }) {
  return (
    <li className={`dep dep-${dep.status}`} aria-label={`${name} ${dep.status}`}>
      <strong>{name}</strong> {dep.status}
      {dep.latencyMs !== undefined && <span className="muted"> · {dep.latencyMs} ms</span>}
      {dep.message && <div className="error">{dep.message}</div>}
    </li>
  );
}

export function HealthPanel() {
  const { data, error, isLoading } = useHealth();
  if (isLoading) return <p>Checking the engine…</p>;
  if (error) return <p className="error">Engine unreachable: {error.message}</p>;
  if (!data) return null;
  return (
    <section aria-labelledby="health-title">
      <h2 id="health-title">Engine {data.status === 'ok' ? 'healthy' : 'degraded'}</h2>
      <ul className="deps">
        <Dependency name="PostgreSQL" dep={data.postgres} />
        <Dependency name="Redis" dep={data.redis} />
      </ul>
    </section>
  );
}
