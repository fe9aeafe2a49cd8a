import { failure } from '@/lib/server/api';

function unknownPath(req: Request) {
  return failure('not-found', `no such API endpoint: ${new URL(req.url).pathname}`, null);
}
export { unknownPath as GET, unknownPath as POST };
