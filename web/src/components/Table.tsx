import type { ReactNode } from "react";

/**
 * A list as a table that scrolls sideways on a phone rather than squeezing its columns;
 * `children` are the rows; `empty` (a sentence) is said below it when there are none.
 */
export function Table({ caption, columns, empty, children }: { caption: string; columns: string[]; empty?: string | false; children: ReactNode }) {
  return (
    <>
      {/* Focusable so keyboard users can scroll it sideways on a phone. */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
        <table>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
      {empty && <p className="muted">{empty}</p>}
    </>
  );
}
