/**
 * ssm-parameter, github-token, comment-details: the parameter the layer version's ARN is written to, and
 * the token and detail of the comment on the commit or pull request.
 */
import * as core from '@actions/core';
import { codePoints, ssmNameProblem } from './names.js';
import { quote, type InputReader } from './reader.js';
import { STEP_NAMES, type Inputs, type StepName } from './types.js';

/** Whitespace, control and invisible (format) characters: never part of a token. */
const UNPRINTABLE = /[\s\p{Cc}\p{Cf}\p{Z}]/u;

export type ReportPart = Pick<Inputs, 'ssmParameter' | 'githubToken' | 'commentDetails'>;

export function readSsmAndComment(
  reader: InputReader,
  regions: readonly string[],
  requestedSteps: ReadonlySet<StepName>,
): ReportPart {
  const ssmParameter = reader.optional('ssm-parameter');
  const ssmProblem = ssmParameter === undefined ? undefined : ssmNameProblem(ssmParameter, regions);
  if (ssmProblem !== undefined) {
    reader.problem(
      `ssm-parameter: ${quote(ssmParameter!)} is not allowed; it ${ssmProblem}. Systems Manager names use ` +
        'letters, digits and _ . - with / between levels, not starting with aws or ssm, e.g. /layers/data-science/arn',
    );
  }
  const commentDetails = reader.oneOf<'full' | 'minimal'>('comment-details', ['full', 'minimal'], 'full');
  // Steps the workflow named itself (not the default "all"): decideSteps refuses a named comment without a token.
  const comment: CommentRequest = !requestedSteps.has('comment')
    ? 'not requested'
    : requestedSteps.size < STEP_NAMES.length
      ? 'named'
      : 'default';
  const githubToken = readGitHubToken(reader, comment);
  return { ssmParameter, githubToken, commentDetails };
}

type CommentRequest = 'not requested' | 'named' | 'default';

/** The token is masked at once; a problem with it never quotes it. */
function readGitHubToken(reader: InputReader, comment: CommentRequest): string | undefined {
  const githubToken = reader.optional('github-token');
  if (githubToken === undefined) return undefined;
  for (const line of githubToken.split(/\r?\n/)) if (line) core.setSecret(line);
  if (githubToken.includes('${{')) return expressionToken(reader, comment);
  const at = [...githubToken].findIndex((char) => UNPRINTABLE.test(char));
  // An HTTP header carries bytes: a character past ASCII could never be sent (nor is it in a token).
  const nonAscii = [...githubToken].findIndex((char) => char.codePointAt(0)! > 0x7e);
  if (at >= 0) {
    reader.problem(
      `github-token: has a space, line break, control or invisible character (character ${at + 1} of ` +
        `${codePoints(githubToken)}); a token never does, so check how the secret was pasted`,
    );
  } else if (nonAscii >= 0) {
    reader.problem(
      `github-token: has a character that is not ASCII (character ${nonAscii + 1} of ` +
        `${codePoints(githubToken)}); a token is ASCII letters, digits and _, so check how the secret was pasted`,
    );
  }
  return githubToken;
}

/**
 * The text of an expression reaches the action where nothing evaluates it: a quoted value in a workflow,
 * or any run off a runner (local-action passes action.yml's default `${{ github.token }}` as text).
 * Only the comment step uses the token, so without that step the text does no harm. Off a runner the
 * comment step of the default list is skipped with a warning (a named one is refused by decideSteps);
 * on a runner, where the workflow asked for the comment and wrote the token wrongly, it is a problem.
 */
function expressionToken(reader: InputReader, comment: CommentRequest): undefined {
  if (comment === 'not requested') return undefined;
  if (reader.env.GITHUB_ACTIONS === 'true') {
    reader.problem(
      'github-token: is the text of an expression (${{ … }}), not a token; write it unquoted in the ' +
        'workflow, e.g. github-token: ${{ secrets.GITHUB_TOKEN }}',
    );
  } else if (comment === 'default') {
    core.warning(
      'github-token: is the text of an expression (${{ … }}), which nothing evaluates off a runner; ' +
        'there is no token, so the comment step does not run. To post the comment, set ' +
        'INPUT_GITHUB-TOKEN to a token.',
      { title: 'No comment' },
    );
  }
  return undefined;
}
