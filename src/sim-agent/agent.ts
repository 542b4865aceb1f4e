import { InputLine } from './input-line.js';
import { Job } from './job.js';
import type { Key } from './keys.js';
import type { SimAgentOptions } from './options.js';
import { appendPrompt } from './prompt-log.js';
import type { Screen } from './screen.js';
import type { AgentState, StateHook } from './state-hook.js';
import { firstChars, oneLine } from './text.js';

export const QUESTION = 'Allow command "npm test"? (y/n)';
const IDLE_HINT = 'enter to send · ctrl-d on an empty line to quit';

export interface AgentDeps {
  options: SimAgentOptions;
  screen: Screen;
  /** Null without `--state-hook`. */
  hook: StateHook | null;
  /** Called once, when the agent wants to end with `code`. */
  exit: (code: number) => void;
}

/**
 * The agent proper: idle with an input line; a submitted prompt is logged, then worked on for a
 * while (status `Working (Ns • esc to interrupt)`), perhaps followed by an approval question,
 * then `done: …` and idle again. Keystrokes reach the input line in every state.
 */
export class Agent {
  private readonly input = new InputLine();
  private state: 'idle' | 'working' | 'waiting' = 'idle';
  private job: Job | null = null;
  private prompt = '';

  constructor(private readonly deps: AgentDeps) {}

  start(): void {
    const { options, screen } = this.deps;
    screen.start();
    screen.print(`sim-agent ready${options.name === null ? '' : ` · ${oneLine(options.name)}`}`);
    const details = [`work ${options.workMs} ms`];
    if (options.log !== null) details.push(`log ${oneLine(options.log)}`);
    if (options.askEvery) details.push('asks every time');
    if (options.stateHook) details.push('state hook');
    screen.print(details.join(' · '));
    screen.setStatus(IDLE_HINT);
    this.report('idle');
  }

  /** Fits the input line to the terminal again (after a resize). */
  redraw(): void {
    this.showInput();
  }

  /** Stops the timers (at exit). */
  stop(): void {
    this.stopJob();
  }

  handle(key: Key): void {
    switch (key.kind) {
      case 'text':
        if (this.state === 'waiting') this.answer(key.text);
        else this.edit(() => this.input.type(key.text));
        return;
      case 'paste':
        this.edit(() => this.input.paste(key.text));
        return;
      case 'backspace':
        this.edit(() => this.input.backspace());
        return;
      case 'ctrl-u':
        this.edit(() => this.input.clear());
        return;
      case 'enter':
        // Like a real agent: no second job while one runs or waits; the input line is kept.
        if (this.state === 'idle') this.submit();
        return;
      case 'escape':
        if (this.state !== 'idle') this.interrupt();
        return;
      case 'ctrl-c':
        if (this.state !== 'idle') this.interrupt();
        else if (!this.input.isEmpty) this.edit(() => this.input.clear());
        else this.deps.exit(130);
        return;
      case 'ctrl-d':
        if (this.input.isEmpty) this.deps.exit(0);
        return;
    }
  }

  private edit(change: () => void): void {
    change();
    this.showInput();
  }

  private showInput(): void {
    const { screen } = this.deps;
    screen.setInput(this.input.display(screen.inputColumns));
  }

  private submit(): void {
    const prompt = this.input.text;
    if (prompt.trim() === '') return;
    if (prompt.trim() === '/exit') {
      this.deps.exit(0);
      return;
    }
    this.input.clear();
    this.showInput();
    this.writeLog(prompt);
    const { screen, options } = this.deps;
    screen.print(`› ${oneLine(prompt.split('\n')[0] ?? '')}`);
    this.prompt = prompt;
    this.state = 'working';
    this.report('busy');
    this.job = new Job(prompt, options.workMs, {
      print: (line) => screen.print(line),
      tick: () => this.showStatus(),
      done: () => this.finishWork(),
    });
    this.showStatus();
  }

  private writeLog(prompt: string): void {
    const { log } = this.deps.options;
    if (log === null) return;
    const failure = appendPrompt(log, prompt);
    if (failure !== null) this.deps.screen.print(`log error: ${oneLine(failure)}`);
  }

  private showStatus(): void {
    const { screen } = this.deps;
    if (this.state === 'working' && this.job !== null) {
      screen.setStatus(`• Working (${this.job.seconds}s • esc to interrupt)`);
    } else if (this.state === 'waiting') {
      screen.setStatus(`${QUESTION} · esc to interrupt`);
    } else {
      screen.setStatus(IDLE_HINT);
    }
  }

  private finishWork(): void {
    const job = this.job;
    if (job === null) return;
    this.job = null;
    if (this.deps.options.askEvery || job.prompt.includes('[approve]')) {
      this.state = 'waiting';
      this.deps.screen.print(QUESTION);
      this.showStatus();
      this.report('waiting');
      return;
    }
    this.complete();
  }

  private answer(text: string): void {
    const choice = text.trim().charAt(0).toLowerCase();
    if (choice !== 'y' && choice !== 'n') return;
    this.deps.screen.print(choice === 'y' ? 'answer: y (allowed)' : 'answer: n (denied)');
    this.complete();
  }

  private complete(): void {
    this.deps.screen.print(`done: ${firstChars(oneLine(this.prompt), 40)}`);
    this.becomeIdle();
  }

  private interrupt(): void {
    this.stopJob();
    this.deps.screen.print('interrupted');
    this.becomeIdle();
  }

  private becomeIdle(): void {
    this.state = 'idle';
    this.showStatus();
    this.showInput();
    this.report('idle');
  }

  private stopJob(): void {
    this.job?.stop();
    this.job = null;
  }

  private report(state: AgentState): void {
    this.deps.hook?.report(state);
  }
}
