// Schemas are written apart from the domain's types (zod checks at run time what TypeScript
// cannot); this ties them at compile time: `const agrees: Same<z.infer<typeof schema>, DomainType> = true`
// stops compiling as soon as either changes alone.
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
