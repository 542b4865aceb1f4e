import { fitStart } from './text.js';

const CSI = '\x1b[';

export interface Terminal {
  write(text: string): unknown;
  readonly rows?: number;
  readonly columns?: number;
}

/**
 * The screen: output lines scroll in a region at the top, a status line and the input line
 * (`› `) stay at the bottom. Autowrap is off, so a long line never pushes the layout around.
 */
export class Screen {
  private rows = 24;
  private columns = 80;
  /** The next output row while the region is still filling up (1-based). */
  private nextRow = 1;
  private status = '';
  private input = '';

  constructor(private readonly out: Terminal) {
    this.measure();
  }

  /** Bracketed paste and no autowrap on, a clear screen, and the layout drawn. */
  start(): void {
    this.out.write(`${CSI}?2004h${CSI}?7l${CSI}2J${CSI}H`);
    this.nextRow = 1;
    this.layout();
  }

  /** Puts the terminal back: no scroll region, autowrap and no bracketed paste. */
  restore(): void {
    this.out.write(`${CSI}r${CSI}?7h${CSI}?2004l${CSI}?25h${CSI}${this.rows};1H\r\n`);
  }

  /** After the terminal changed size: a clear screen and a new layout. */
  resize(): void {
    this.measure();
    this.nextRow = 1;
    this.out.write(`${CSI}2J`);
    this.layout();
  }

  /** Adds one line of output at the bottom of the region, scrolling it when it is full. */
  print(line: string): void {
    const text = fitStart(line, this.columns);
    let move: string;
    if (this.nextRow <= this.regionBottom) {
      move = `${CSI}${this.nextRow};1H`;
      this.nextRow++;
    } else {
      // A line feed on the region's last row scrolls the region only.
      move = `${CSI}${this.regionBottom};1H\n`;
    }
    this.out.write(`${move}${CSI}2K${text}${this.inputLine()}`);
  }

  setStatus(status: string): void {
    if (status === this.status) return;
    this.status = status;
    this.out.write(`${this.statusLine()}${this.inputLine()}`);
  }

  /** The input line's content, without the `› ` prompt (already fitted by the caller). */
  setInput(text: string): void {
    this.input = text;
    this.out.write(this.inputLine());
  }

  /** Columns left for the input text after the prompt. */
  get inputColumns(): number {
    return Math.max(this.columns - 3, 1);
  }

  private get regionBottom(): number {
    return Math.max(this.rows - 2, 1);
  }

  private measure(): void {
    this.rows = Math.max(this.out.rows ?? 24, 3);
    this.columns = Math.max(this.out.columns ?? 80, 10);
  }

  private layout(): void {
    this.out.write(`${CSI}1;${this.regionBottom}r${this.statusLine()}${this.inputLine()}`);
  }

  private statusLine(): string {
    return `${CSI}${this.rows - 1};1H${CSI}2K${fitStart(this.status, this.columns)}`;
  }

  /** Draws the input line and leaves the cursor at its end. */
  private inputLine(): string {
    return `${CSI}${this.rows};1H${CSI}2K› ${this.input}`;
  }
}
