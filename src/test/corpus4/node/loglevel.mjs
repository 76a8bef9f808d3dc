// loglevel 1.9.2 + loglevel-plugin-prefix 0.8.4 in Node (console output to stdout).
import log from 'loglevel';
import prefix from 'loglevel-plugin-prefix';
prefix.reg(log);
log.enableAll();
const mode = process.argv[2];
if (mode === 'iso') {
  prefix.apply(log, { template: '[%t] %l (%n)', timestampFormatter: (d) => d.toISOString() });
} else {
  prefix.apply(log); // default template '[%t] %l:' with time of day only
}
const llm = log.getLogger('llm');
// Vertex AI REST response usageMetadata (generateContent), with modality details
llm.info('token_usage', JSON.stringify({ modelVersion: 'gemini-2.0-flash-001', provider: 'google',
  usageMetadata: { promptTokenCount: 3100, candidatesTokenCount: 240, totalTokenCount: 3340, cachedContentTokenCount: 2048,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 3100 }], cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 2048 }],
    candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 240 }] } }));
llm.warn('token_usage exporter queue full, dropping 12 records');
