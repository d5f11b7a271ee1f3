/** How a command's action hands its exit code to main() (commander's actions return nothing). */
export type SetExit = (code: number) => void;
