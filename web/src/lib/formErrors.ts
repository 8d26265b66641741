// Where a failed save's error goes on a form: next to the field it names, or above the form.
// REST names the field in a 400's details.field (VALIDATION_FAILED, CAMERA_SERIAL_DUPLICATE) and
// JSON-RPC in an invalid-params message ("params.max_age_days: …"); both map to the same shape.
import { ApiError } from "../api/client";
import { RpcError } from "../api/rpc";

export type FieldErrors<F extends string> = Partial<Record<F, string>>;
export type FormErrors<F extends string> = { fields: FieldErrors<F>; general?: unknown };

const kInvalidParams = -32602;

/** Splits `error` into a field's message (when `fields` has the field it names) or a general one. */
export function formErrors<F extends string>(error: unknown, fields: readonly F[]): FormErrors<F> {
  const named = fieldOf(error);
  if (named && (fields as readonly string[]).includes(named.field)) {
    return { fields: { [named.field]: named.message } as FieldErrors<F> };
  }
  return { fields: {}, general: error };
}

function fieldOf(error: unknown): { field: string; message: string } | undefined {
  if (error instanceof ApiError && error.status === 400 && error.field) {
    return { field: error.field, message: withoutPrefix(error.message, error.field) };
  }
  if (error instanceof RpcError && error.code === kInvalidParams) {
    const m = /^params\.([a-z_]+):\s*(.*)$/s.exec(error.message);
    if (m) return { field: m[1]!, message: m[2]! };
  }
  return undefined;
}

// "source: unsupported scheme" is shown under the Source field: the name would repeat its label.
function withoutPrefix(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

/** True when the form has nothing to show. */
export function hasErrors<F extends string>(errors: FieldErrors<F>): boolean {
  return Object.values(errors).some(Boolean);
}
