import { Link } from '../components/ui/link';

export default function NotFound() {
  return (
    <div className="rounded-md border border-neutral-200 bg-white p-6 text-[13px]">
      <h1 className="mb-2 text-lg font-semibold">Page not found</h1>
      <Link href="/" className="text-accent-600 hover:underline">
        Back to the overview
      </Link>
    </div>
  );
}
