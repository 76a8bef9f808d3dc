// simple-node-logger 21.8.12, file logger, default timestamp format.
const SimpleLogger = require('simple-node-logger');
const log = SimpleLogger.createSimpleFileLogger({ logFilePath: process.argv[2], timestampFormat: 'YYYY-MM-DD HH:mm:ss.SSS' });
// Replicate prediction metrics (input_token_count/output_token_count), logged as an object argument
log.info('token_usage ', { provider: 'replicate', model: 'anthropic/claude-3.5-haiku', metrics: { predict_time: 1.92, total_time: 2.05, input_token_count: 830, output_token_count: 96 } });
log.error('token_usage table missing? ', new Error('relation "token_usage" does not exist').message);
