// hls.js's light build (LL-HLS without subtitles, alternate audio, DRM: half the size) ships
// no types of its own; its API is the full build's.
declare module "hls.js/light" {
  export { default } from "hls.js";
}
