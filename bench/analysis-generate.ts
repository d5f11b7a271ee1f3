// Writes one synthetic trace for the analysis benchmark: `node --import tsx bench/analysis-generate.ts <shape> <events> <file>`.
import { generateShape, SHAPES, type Shape } from './analysis-shapes.js';
import { writeTrace } from './analysis-trace-writer.js';

const [shape, events, file] = process.argv.slice(2);
if (!SHAPES.includes(shape as Shape) || !Number.isFinite(Number(events)) || !file) {
  process.stderr.write(`usage: analysis-generate.ts <${SHAPES.join('|')}> <events> <file>\n`);
  process.exit(2);
}
const content = generateShape(shape as Shape, Number(events));
const bytes = writeTrace(file, content);
process.stdout.write(JSON.stringify({ events: content.eventCount, bytes }) + '\n');
