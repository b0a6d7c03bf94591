/** iframe-resizer 4 (MIT) ships no types; the parent library's one call latch makes. */
declare module 'iframe-resizer/js/iframeResizer.js' {
  interface IFrameResizerOptions {
    checkOrigin?: boolean | string[];
    warningTimeout?: number;
    log?: boolean;
    heightCalculationMethod?: string;
    onResized?: (data: { iframe: HTMLIFrameElement; height: number; width: number; type: string }) => void;
  }
  interface IFrameComponent extends HTMLIFrameElement {
    iFrameResizer: { removeListeners(): void; close(): void; resize(): void };
  }
  const iframeResize: (options: IFrameResizerOptions, target: HTMLIFrameElement) => IFrameComponent[];
  export default iframeResize;
}
