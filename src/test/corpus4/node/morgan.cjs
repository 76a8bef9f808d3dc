// morgan 1.12.1 with custom tokens (express 5): an access log line per LLM proxy request.
const express = require('express'); const morgan = require('morgan'); const http = require('http');
const fs = require('fs');
const stream = fs.createWriteStream(process.argv[2]);
morgan.token('usage', (req, res) => res.locals.usage ? `token_usage model=${res.locals.usage.model} prompt_tokens=${res.locals.usage.prompt_tokens} completion_tokens=${res.locals.usage.completion_tokens} total_tokens=${res.locals.usage.total_tokens}` : '-');
const app = express();
app.use(morgan(':remote-addr - :remote-user [:date[clf]] ":method :url HTTP/:http-version" :status :res[content-length] :response-time ms :usage', { stream }));
app.use(morgan('{"time":":date[iso]","method":":method","url":":url","status"::status,"msg":"token_usage","model":":req[x-model]","input_tokens":":res[x-input-tokens]","output_tokens":":res[x-output-tokens]"}', { stream }));
app.post('/v1/chat/completions', (req, res) => {
  res.locals.usage = { model: 'gpt-4o-2024-08-06', prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280 };
  res.set('x-input-tokens', '1200'); res.set('x-output-tokens', '80');
  res.json({ ok: true });
});
const srv = app.listen(0, '127.0.0.1', () => {
  const r = http.request({ port: srv.address().port, host: '127.0.0.1', method: 'POST', path: '/v1/chat/completions', headers: { 'x-model': 'gpt-4o-2024-08-06' } }, (res) => {
    res.resume(); res.on('end', () => setTimeout(() => { stream.end(); srv.close(); }, 50)); });
  r.end();
});
