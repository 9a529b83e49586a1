export interface Line {
  readonly name: string;
  readonly values: readonly number[];
  /** A CSS class naming the colour (see styles.css), so the chart follows the theme. */
  readonly tone: string;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

/**
 * A small line chart in SVG: a few weekly points need no charting library, and SVG scales,
 * prints and follows the page's colours. The figures are also given as a table for screen
 * readers and for copying.
 */
export function LineChart(props: { title: string; labels: readonly string[]; lines: readonly Line[] }) {
  const { labels, lines, title } = props;
  const max = Math.max(1, ...lines.flatMap((l) => l.values));
  const top = niceCeiling(max);
  const x = (i: number) =>
    PAD.left + (labels.length <= 1 ? 0 : (i * (WIDTH - PAD.left - PAD.right)) / (labels.length - 1));
  const y = (v: number) => PAD.top + (1 - v / top) * (HEIGHT - PAD.top - PAD.bottom);
  const ticks = [0, top / 2, top];
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title}>
        <title>{title}</title>
        {ticks.map((t) => (
          <g key={t}>
            <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
            <text class="axis" x={PAD.left - 6} y={y(t) + 4} text-anchor="end">
              {Math.round(t)}
            </text>
          </g>
        ))}
        {labels.map((label, i) =>
          i % Math.ceil(labels.length / 6) === 0 || i === labels.length - 1 ? (
            <text key={label} class="axis" x={x(i)} y={HEIGHT - 8} text-anchor="middle">
              {label.slice(5, 10)}
            </text>
          ) : null,
        )}
        {lines.map((line) => (
          <g key={line.name} class={line.tone}>
            <polyline class="line" points={line.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
            {line.values.map((v, i) => (
              <circle key={i} class="dot" cx={x(i)} cy={y(v)} r={3} />
            ))}
          </g>
        ))}
      </svg>
      <figcaption>
        {lines.map((line) => (
          <span key={line.name} class={`legend ${line.tone}`}>
            {line.name}
          </span>
        ))}
      </figcaption>
      <details>
        <summary>The figures</summary>
        <table>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">As of</th>
              {lines.map((line) => (
                <th key={line.name} scope="col">
                  {line.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={label} data-point={label}>
                <th scope="row">{label.slice(0, 10)}</th>
                {lines.map((line) => (
                  <td key={line.name} class="num" data-line={line.name}>
                    {line.values[i]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value) ?? 10;
  return step * magnitude;
}
