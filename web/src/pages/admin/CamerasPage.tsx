export function CamerasPage() {
  return <h1>Cameras</h1>;
}
