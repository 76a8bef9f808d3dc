// tracer 1.3.0 console logger, default format and dateformat (isoDateTime).
const tracer = require('tracer');
const log = tracer.console({ transport: (data) => process.stdout.write(data.output + '\n') });
// Anthropic Message Batches result line, usage with cache creation
log.info('token_usage %s', JSON.stringify({ custom_id: 'req-77', result: { type: 'succeeded', message: { id: 'msg_01', type: 'message', model: 'claude-sonnet-4-20250514', stop_reason: 'end_turn', usage: { input_tokens: 25, cache_creation_input_tokens: 4096, cache_read_input_tokens: 0, output_tokens: 410, service_tier: 'batch' } } } }));
log.error('token_usage writer crashed: %s', 'ECONNRESET');
// Mistral usage object inspected by util.format %o (not JSON)
log.info('token_usage', { model: 'mistral-small-2503', usage: { prompt_tokens: 50, completion_tokens: 7, total_tokens: 57 } });
