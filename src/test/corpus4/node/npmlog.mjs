// npmlog 7.0.1 (stderr; no time is printed).
import log from 'npmlog';
log.level = 'info';
log.info('token_usage', JSON.stringify({ model: 'gpt-4o-mini', prompt_tokens: 120, completion_tokens: 30 }));
log.error('db', 'insert into token_usage failed: connection refused');
