export function StoragePage() {
  return <h1>Storage</h1>;
}
