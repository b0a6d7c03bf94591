/**
 * The lock owner's choice to let an extension act while nobody has it open (DECISIONS §10,
 * `sessions:background`): shown only for apps that ask for it, off unless ticked.
 */
export function BackgroundChoice({ id, name, checked, disabled, onChange }: { id: string; name: string; checked: boolean; disabled?: boolean; onChange: (on: boolean) => void }) {
  return (
    <div className="stack tight" data-testid={`background-${id}`}>
      <div className="check">
        <input id={`background-${id}`} type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={`background-${id}-desc`} />
        <label htmlFor={`background-${id}`}>Let {name} act while nobody has it open</label>
      </div>
      <p id={`background-${id}-desc`} className="muted small">
        {name} asks for background access: its server may then change this lock on its own (with your role), for example on a schedule. You can take it back at any time.
      </p>
    </div>
  );
}
