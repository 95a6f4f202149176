/**
 * The example service (grows into a small ECS-like API): `npm start`.
 */
import Koa from 'koa';
import { envelope, errors } from '../../lib/index.js';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);

const app = new Koa();
app.use(envelope({ hostId: 'ecs.example.local' }));
app.use(async (ctx) => {
  const params = ctx.state.openapi?.params.all ?? {};
  if (params.Action === undefined) throw new errors.MissingParameter('Action');
  if (params.Action !== 'DescribeRegions') throw new errors.InvalidAction();
  ctx.state.action = 'DescribeRegions';
  ctx.body = {
    Regions: {
      Region: [
        { RegionId: 'cn-hangzhou', LocalName: '华东1（杭州）', RegionEndpoint: 'ecs.cn-hangzhou.aliyuncs.com' },
        { RegionId: 'cn-shanghai', LocalName: '华东2（上海）', RegionEndpoint: 'ecs.cn-shanghai.aliyuncs.com' },
      ],
    },
  };
});
app.on('error', (err: Error & { requestId?: string }) => {
  console.error(`[${err.requestId ?? '-'}] ${err.stack ?? err.message}`);
});

app.listen(port, host, () => {
  console.log(`Example OpenAPI service on http://${host}:${port}/`);
  console.log(`Try: curl 'http://${host}:${port}/?Action=DescribeRegions&Format=JSON'`);
});
