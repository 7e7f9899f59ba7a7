import { describe, expect, it } from "vitest";
import { LineSplitter } from "./line-splitter.ts";

describe("LineSplitter", () => {
  it("joins lines split across chunks and strips CRLF", () => {
    const s = new LineSplitter();
    expect(s.push('{"a":')).toEqual([]);
    expect(s.push('1}\r\n{"b":2}\n\n{"c"')).toEqual(['{"a":1}', '{"b":2}']);
    expect(s.push(":3}\n")).toEqual(['{"c":3}']);
    expect(s.end()).toBeUndefined();
  });

  it("returns a truncated last line at the end instead of dropping it", () => {
    const s = new LineSplitter();
    s.push('{"a":1}\n{"b"');
    expect(s.end()).toBe('{"b"');
  });
});
