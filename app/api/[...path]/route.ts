import { json } from '@/lib/server/http';

function unknownPath(req: Request) {
  return json({ error: `no such API endpoint: ${new URL(req.url).pathname}`, status: null }, { status: 404 });
}
export { unknownPath as GET, unknownPath as POST };
