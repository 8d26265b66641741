export function RecordingsPage() {
  return <h1>Recordings</h1>;
}
