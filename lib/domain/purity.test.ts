// lib/domain holds no module-level mutable state: no hidden caches, no counters. Each refresh's
// state is built from its inputs alone (lib/domain/state.ts), so a module-level Map, Set,
// WeakMap, array or `let` would be state that outlives it. Tables of constants are fine when
// they say so (`as const`, a Readonly type, Object.freeze).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const MUTABLE_COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'WeakRef']);

function readonlyType(type: ts.TypeNode | undefined): boolean {
  if (!type) return false;
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.ReadonlyKeyword) return true;
  if (ts.isTypeReferenceNode(type)) return /^Readonly/.test(type.typeName.getText());
  return false;
}

function frozen(init: ts.Expression): boolean {
  if (ts.isAsExpression(init) && ts.isTypeReferenceNode(init.type) && init.type.typeName.getText() === 'const') return true;
  if (ts.isAsExpression(init)) return frozen(init.expression);
  return ts.isCallExpression(init) && init.expression.getText() === 'Object.freeze';
}

/** What at a module's top level can hold state that changes: one line per finding, `file:line: why`. */
export function mutableModuleState(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node, why: string) => found.push(`${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${why}`);
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      const list = statement.declarationList;
      if (!(list.flags & ts.NodeFlags.Const)) {
        at(statement, 'a module-level let/var');
        continue;
      }
      for (const d of list.declarations) {
        const init = d.initializer;
        if (!init || readonlyType(d.type) || frozen(init)) continue;
        if (ts.isNewExpression(init) && MUTABLE_COLLECTIONS.has(init.expression.getText())) at(d, `a module-level ${init.expression.getText()} (${d.name.getText()})`);
        if (ts.isArrayLiteralExpression(init)) at(d, `a module-level array (${d.name.getText()}) neither \`as const\`, readonly nor frozen`);
      }
    } else if (ts.isExpressionStatement(statement)) {
      at(statement, 'a statement that runs at module load');
    } else if (ts.isClassDeclaration(statement)) {
      for (const m of statement.members) {
        const isStatic = ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
        const isReadonly = ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword);
        if (isStatic && ts.isPropertyDeclaration(m) && !isReadonly) at(m, `a static mutable field (${m.name.getText()})`);
      }
    }
  }
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('lib/domain', () => {
  it('holds no module-level mutable state', () => {
    const domain = __dirname;
    const files = sources(domain);
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((f) => mutableModuleState(path.relative(domain, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('the check sees a hidden cache, a counter and a mutable table', () => {
    const source = [
      'const cache = new WeakMap<object, number>();',
      'let refreshes = 0;',
      'const seen = new Set<string>();',
      "const table = ['a', 'b'];",
      "const fine = ['a', 'b'] as const;",
      "const alsoFine: ReadonlySet<string> = new Set(['a']);",
      'const collator = new Intl.Collator();',
      'class Memo { static last = 0; static readonly LIMIT = 3 }',
      'refreshes++;',
    ].join('\n');
    expect(mutableModuleState('x.ts', source)).toEqual([
      'x.ts:1: a module-level WeakMap (cache)',
      'x.ts:2: a module-level let/var',
      'x.ts:3: a module-level Set (seen)',
      'x.ts:4: a module-level array (table) neither `as const`, readonly nor frozen',
      'x.ts:8: a static mutable field (last)',
      'x.ts:9: a statement that runs at module load',
    ]);
  });
});
