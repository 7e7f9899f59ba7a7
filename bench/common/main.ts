// A scenario's entry point: exit 0 when it is done, 1 with the error when it
// fails (open handles such as a watch must not keep a finished run alive).
export function runScenario(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
