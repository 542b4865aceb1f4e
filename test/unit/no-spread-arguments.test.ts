import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { appendAll, maxOf } from '../../src/domain/lists.js';

/**
 * A list spread into a call's arguments (`out.push(...lines)`, `Math.max(...widths)`) puts each
 * element on the stack: past about 120,000 of them V8 throws `RangeError: Maximum call stack
 * size exceeded`. That took down the ticket detail for a 30 MB body and `tickets list` for
 * 150,000 tickets. src/ folds with `maxOf` and `appendAll` instead, and this keeps it so.
 */

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The name the spread stands for, through `(x as T)` and `x.slice(…)`. */
function spreadName(expression: ts.Expression): string | undefined {
  let e = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
    else if (
      ts.isCallExpression(e) &&
      ts.isPropertyAccessExpression(e.expression) &&
      e.expression.name.text === 'slice'
    ) {
      e = e.expression.expression;
    } else break;
  }
  return ts.isIdentifier(e) ? e.text : undefined;
}

/**
 * Forwarding a function's own rest parameter (`(...args) => f(...args)`) is bounded by how it
 * was called, so it may be spread again; nothing else may.
 */
function isOwnRestParameter(node: ts.Node, name: string): boolean {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isFunctionLike(at)) {
      return at.parameters.some(
        (p) => p.dotDotDotToken !== undefined && ts.isIdentifier(p.name) && p.name.text === name,
      );
    }
  }
  return false;
}

/** `file:line: text` of every spread into arguments (and every `.apply(this, list)`). */
function spreadArguments(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: string[] = [];
  const report = (node: ts.Node) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${relative(SRC, file)}:${line + 1}: ${node.getText(source).slice(0, 80)}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      for (const argument of node.arguments ?? []) {
        if (!ts.isSpreadElement(argument)) continue;
        const name = spreadName(argument.expression);
        if (name === undefined || !isOwnRestParameter(node, name)) report(argument);
      }
      const callee = node.expression;
      if (
        ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'apply' &&
        (node.arguments?.length ?? 0) === 2
      ) {
        report(node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('lists as arguments', () => {
  it('no list is spread into a call in src/', () => {
    const found = sourceFiles(SRC).flatMap(spreadArguments);
    expect(found, 'fold with maxOf/appendAll (src/domain/lists.ts) instead').toEqual([]);
  });

  it('the checker finds what it is for, and only that', () => {
    const probe = join(import.meta.dirname, 'helpers', 'spread-probe.ts.txt');
    const marked = readFileSync(probe, 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.endsWith('// found') ? [i + 1] : []));
    const found = spreadArguments(probe).map((f) => Number(/:(\d+):/.exec(f)?.[1]));
    expect(found).toEqual(marked);
  });

  it('maxOf and appendAll take more values than a spread can', () => {
    const many = Array.from({ length: 500_000 }, (_, i) => i);
    expect(() => Math.max(...many)).toThrow(RangeError);
    expect(maxOf(many)).toBe(499_999);
    expect(maxOf([], 7)).toBe(7);
    expect(appendAll([-1], many)).toHaveLength(500_001);
  });
});
