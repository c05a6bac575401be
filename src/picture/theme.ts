// Colours of the picture. Dark matches Discord's dark theme (its code-block grey); light its light theme.
// Each clause kind has its own colour, the same in the lanes, the tints and the legend.
import type { TokenKind } from "./highlight.js";
import type { ThemeName } from "./types.js";

export type MarkKind = "try" | "except" | "else" | "finally" | "with" | "raise" | "went_on" | "jump";

export interface Theme {
  name: ThemeName;
  background: string;
  header: string;
  text: string;
  dim: string;
  lineNumber: string;
  rule: string;
  /** Opacity of the code in clauses that did not run. */
  skippedOpacity: number;
  /** Opacity of a clause colour behind the lines of a clause that ran. */
  tintOpacity: number;
  /** Opacity of a badge's fill (its text is drawn in full colour). */
  badgeOpacity: number;
  colour: Record<MarkKind, string>;
  syntax: Record<TokenKind, string>;
}

const dark: Theme = {
  name: "dark",
  background: "#2b2d31",
  header: "#1e1f22",
  text: "#dbdee1",
  dim: "#80848e",
  lineNumber: "#6d6f78",
  rule: "#3f4147",
  skippedOpacity: 0.38,
  tintOpacity: 0.16,
  badgeOpacity: 0.2,
  colour: {
    try: "#6ea0ff",
    except: "#4cc276",
    else: "#c58af9",
    finally: "#f4b13d",
    with: "#3cc9d6",
    raise: "#ff6b70",
    went_on: "#4cc276",
    jump: "#6ea0ff",
  },
  syntax: {
    plain: "#dbdee1",
    keyword: "#ff8fc7",
    string: "#e6c07b",
    number: "#f5a97f",
    comment: "#80848e",
    builtin: "#7dcfff",
    name: "#9ec3ff",
    literal: "#f5a97f",
  },
};

const light: Theme = {
  name: "light",
  background: "#ffffff",
  header: "#f2f3f5",
  text: "#2e3338",
  dim: "#6a7079",
  lineNumber: "#9aa0a8",
  rule: "#e3e5e8",
  skippedOpacity: 0.42,
  tintOpacity: 0.13,
  badgeOpacity: 0.14,
  colour: {
    try: "#2f6fde",
    except: "#1f8a47",
    else: "#8a4fcf",
    finally: "#b86e00",
    with: "#0e8a96",
    raise: "#d22d39",
    went_on: "#1f8a47",
    jump: "#2f6fde",
  },
  syntax: {
    plain: "#2e3338",
    keyword: "#a6266e",
    string: "#8a5a00",
    number: "#b4521e",
    comment: "#8a9099",
    builtin: "#0b6e99",
    name: "#2d5fc2",
    literal: "#b4521e",
  },
};

export const THEMES: Record<ThemeName, Theme> = { dark, light };
