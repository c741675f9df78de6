using Google.Protobuf;
using StatefunOperator.Sdk.Protocol;

namespace StatefunOperator.Sdk;

/// <summary>One persisted value during a call: as the runtime sent it, and as the function left it.</summary>
internal sealed class ValueCell(ValueSpec spec, TypedValue? stored)
{
    private object? _current;
    private bool _decoded;
    private bool _deleted;
    private Func<byte[]>? _serialize;

    public ValueSpec Spec { get; } = spec;

    public bool Changed { get; private set; }

    public bool Present => Changed ? !_deleted : stored is { HasValue: true };

    public object? Read<T>(StatefunType<T> type)
    {
        if (_decoded || Changed)
        {
            return _current;
        }

        if (stored!.Typename != Spec.TypeName.ToString())
        {
            throw new InvalidOperationException(
                $"the value '{Spec.Name}' is stored as {stored.Typename}, but declared as {Spec.TypeName}");
        }

        _current = type.Deserialize(stored.Value.Span);
        _decoded = true;
        return _current;
    }

    public void Write<T>(StatefunType<T> type, T value)
    {
        _current = value;
        _deleted = false;
        _serialize = () => type.Serialize(value);
        Changed = true;
    }

    public void Delete()
    {
        _current = null;
        _deleted = true;
        _serialize = null;
        Changed = true;
    }

    public FromFunction.Types.PersistedValueMutation Mutation() => _deleted
        ? new() { MutationType = FromFunction.Types.PersistedValueMutation.Types.MutationType.Delete, StateName = Spec.Name }
        : new()
        {
            MutationType = FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify,
            StateName = Spec.Name,
            StateValue = new TypedValue { Typename = Spec.TypeName.ToString(), HasValue = true, Value = ByteString.CopyFrom(_serialize!()) },
        };
}
