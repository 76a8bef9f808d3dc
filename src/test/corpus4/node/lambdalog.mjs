// lambda-log 3.1.0: JSON lines, as an AWS Lambda handler logs (CloudWatch would add the time).
import lambdaLog from 'lambda-log';
const { LambdaLog } = lambdaLog;
const mode = process.argv[2];
const log = new LambdaLog(mode === 'ts' ? { dynamicMeta: () => ({ timestamp: new Date().toISOString() }) } : {});
// AWS Bedrock InvokeModel response headers captured as fields (Node SDK $metadata + headers)
log.info('token_usage', { modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  headers: { 'x-amzn-bedrock-input-token-count': '1893', 'x-amzn-bedrock-output-token-count': '204', 'x-amzn-bedrock-invocation-latency': '2211' } });
log.error('token_usage insert failed', { table: 'token_usage', code: '23505' });
