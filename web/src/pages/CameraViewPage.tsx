export function CameraViewPage() {
  return <h1>Camera</h1>;
}
