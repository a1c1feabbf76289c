import { useId } from 'react';
import { scale, type Point } from './series';

const W = 300;
const H = 90;

/**
 * A small time-series chart in plain SVG. Screen readers get the title and a one-line summary (latest,
 * lowest, highest over the window); `data-points` lets tests count what was drawn.
 */
export function LineChart({
  title,
  points,
  max,
  format,
  emptyText = 'No samples yet.',
}: {
  title: string;
  points: Point[];
  /** Top of the y axis (e.g. 100 for percentages); grows with the data when exceeded. */
  max?: number;
  format: (v: number) => string;
  emptyText?: string;
}) {
  const id = useId();
  const s = scale(points, W, H, max);
  const top = Math.max(max ?? 0, s.max) || 1;
  const span = points.length > 1 ? Math.round((points[points.length - 1]!.t - points[0]!.t) / 60_000) : 0;
  const summary =
    s.last === null
      ? emptyText
      : `Latest ${format(s.last)}; lowest ${format(s.min)}, highest ${format(s.max)} over ${points.length} sample${points.length === 1 ? '' : 's'}${span ? ` (${span} min)` : ''}.`;
  return (
    <figure className="chart" aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`} className="chart-title">
        <span>{title}</span>
        <span className="chart-last">{s.last === null ? '–' : format(s.last)}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        data-points={points.length}
      >
        <desc id={`${id}-d`}>{summary}</desc>
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} x1={0} x2={W} y1={H * f} y2={H * f} className="chart-grid" />
        ))}
        {s.path && (
          <>
            <path d={`${s.path} L${W} ${H} L0 ${H} Z`} className="chart-area" />
            <path d={s.path} className="chart-line" vectorEffect="non-scaling-stroke" />
          </>
        )}
      </svg>
      <div className="chart-axis muted small" aria-hidden="true">
        <span>0</span>
        <span>max {format(top)}</span>
      </div>
      <p className="chart-summary muted small">{summary}</p>
    </figure>
  );
}
