import NextLink from 'next/link';
import type { ComponentProps } from 'react';

/**
 * A link that does not prefetch its page. Every page here is a thin shell that fetches its
 * data from the API, so prefetching gains little; and lists show dozens of links at once
 * (each scroll of a virtualised list brings new ones), each of which would cost a request.
 * The header's navigation keeps Next's prefetching.
 */
export function Link(props: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={false} {...props} />;
}
