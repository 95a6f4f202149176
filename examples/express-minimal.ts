/**
 * The smallest Express service speaking the Alibaba Cloud OpenAPI protocol.
 *
 *   npx tsx examples/express-minimal.ts          # http://127.0.0.1:3000 (PORT to change)
 *   curl 'http://127.0.0.1:3000/?Action=DescribeInstance&InstanceId=i-1&Format=JSON'
 *   curl 'http://127.0.0.1:3000/?Action=DescribeInstance&InstanceId=i-2'      # XML error envelope
 *   curl 'http://127.0.0.1:3000/?Action=NoSuchAction'                         # InvalidAction 403
 *
 * In your own code, import from 'aliyun-openapi-middleware/express'.
 */
import express from 'express';
import { envelope, handle, errorHandler, openapiState, errors, defineError } from '../lib/express/index.js';

const InstanceNotFound = defineError('InvalidInstanceId.NotFound', 404, 'The specified InstanceId does not exist.');

const app = express();
app.disable('x-powered-by'); // Alibaba Cloud endpoints send no such header

app.use(envelope({ hostId: 'ecs.example.com' })); // first: RequestId, Format, parameters

app.all(
  '/',
  handle(async (_req, res, next) => {
    const { Action, InstanceId } = openapiState(res).params.all;
    if (Action !== 'DescribeInstance') return next(); // not ours: errorHandler() answers InvalidAction
    res.locals.action = Action; // names the XML root: <DescribeInstanceResponse>
    if (InstanceId === undefined) throw new errors.MissingParameter('InstanceId');
    if (InstanceId !== 'i-1') throw new InstanceNotFound();
    return { InstanceId, Status: 'Running' }; // plain data: the envelope does the rest
  }),
);

app.use(errorHandler()); // last: "no route" and every error as an envelope

const port = Number(process.env.PORT ?? 3000);
app.listen(port, '127.0.0.1', () => {
  console.log(`OpenAPI service on http://127.0.0.1:${port}/?Action=DescribeInstance&InstanceId=i-1&Format=JSON`);
});
