import { join } from 'node:path';
import ts from 'typescript';

/**
 * Jest runs TypeScript through swc, which strips types without checking them; `npm start` builds with tsc,
 * which does. This test type-checks the whole project (tsconfig.json: sources, simulators, benches and tests)
 * so that a type error fails `npm test` instead of a newcomer's `npm start`.
 */
it('the project type-checks (tsc --noEmit)', () => {
  const root = join(__dirname, '..');
  const file = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json')!;
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(file, ts.sys.readFile).config, ts.sys, root);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } });
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${d.file.fileName.replace(`${root}/`, '')}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`
        : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  expect(problems).toEqual([]);
}, 120_000);
