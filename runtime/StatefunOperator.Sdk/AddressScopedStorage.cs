using StatefunOperator.Sdk.Protocol;

namespace StatefunOperator.Sdk;

/// <summary>
/// The persisted values of the address being called, by their <see cref="ValueSpec"/>: read, write, remove. What
/// changed goes back to the runtime with the answer (one mutation per changed value), and later calls of the same
/// batch see the changes.
/// </summary>
public sealed class AddressScopedStorage
{
    private readonly Dictionary<string, ValueCell> _cells;

    internal AddressScopedStorage(Dictionary<string, ValueCell> cells)
    {
        _cells = cells;
    }

    /// <summary>The value, or <paramref name="fallback"/> (default: <c>default(T)</c>) when the address has none.</summary>
    public T? Get<T>(ValueSpec<T> spec, T? fallback = default) => TryGet(spec, out var value) ? value : fallback;

    public bool TryGet<T>(ValueSpec<T> spec, out T value)
    {
        var cell = CellOf(spec);
        if (!cell.Present)
        {
            value = default!;
            return false;
        }

        value = (T)cell.Read(spec.Type)!;
        return true;
    }

    public void Set<T>(ValueSpec<T> spec, T value) => CellOf(spec).Write(spec.Type, value);

    public void Remove(ValueSpec spec) => CellOf(spec).Delete();

    internal IEnumerable<FromFunction.Types.PersistedValueMutation> Mutations() =>
        _cells.Values.Where(c => c.Changed).Select(c => c.Mutation());

    private ValueCell CellOf(ValueSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!_cells.TryGetValue(spec.Name, out var cell) || cell.Spec.TypeName != spec.TypeName)
        {
            throw new InvalidOperationException(
                $"the value '{spec.Name}' ({spec.TypeName}) was not declared when the function was bound: pass its ValueSpec to Bind");
        }

        return cell;
    }
}
