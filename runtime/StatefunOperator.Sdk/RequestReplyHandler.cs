using Google.Protobuf;
using StatefunOperator.Sdk.Protocol;

namespace StatefunOperator.Sdk;

/// <summary>
/// Answers the runtime's requests (the StateFun request-reply protocol: a <c>ToFunction</c> in, a
/// <c>FromFunction</c> out) for the bound functions, without any web framework: bytes in, bytes out, or a stream
/// in, a stream out. A batch's messages are applied in order to one address; when the runtime does not yet know a
/// declared value, the answer asks for it instead (an incomplete invocation context) and the runtime calls again.
/// A function that throws fails the whole batch: the exception propagates (serve it as HTTP 500) and the runtime
/// retries the batch, nothing of it applied.
/// </summary>
public sealed class RequestReplyHandler
{
    private readonly IReadOnlyDictionary<TypeName, StatefulFunctionSpec> _functions;

    internal RequestReplyHandler(IReadOnlyDictionary<TypeName, StatefulFunctionSpec> functions)
    {
        _functions = functions;
    }

    public async Task HandleAsync(Stream request, Stream response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        using var buffer = new MemoryStream();
        await request.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var answer = await HandleAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)).ConfigureAwait(false);
        await response.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> request)
    {
        var toFunction = ToFunction.Parser.ParseFrom(request.Span);
        var batch = toFunction.Invocation
            ?? throw new InvalidDataException("the request holds no invocation batch");
        var target = Address.FromProtocol(batch.Target)
            ?? throw new InvalidDataException("the invocation batch has no target address");
        if (!_functions.TryGetValue(target.Type, out var function))
        {
            throw new InvalidOperationException($"no function is bound to {target.Type} here (bound: {string.Join(", ", _functions.Keys)})");
        }

        var stored = new Dictionary<string, TypedValue?>(StringComparer.Ordinal);
        foreach (var value in batch.State)
        {
            stored[value.StateName] = value.StateValue;
        }

        var missing = function.ValueSpecs.Values.Where(spec => !stored.ContainsKey(spec.Name)).ToList();
        if (missing.Count > 0)
        {
            return MissingValues(missing).ToByteArray();
        }

        var cells = function.ValueSpecs.Values.ToDictionary(spec => spec.Name, spec => new ValueCell(spec, stored[spec.Name]), StringComparer.Ordinal);
        var result = new FromFunction.Types.InvocationResponse();
        var context = new Context(target, new AddressScopedStorage(cells), result);
        foreach (var invocation in batch.Invocations)
        {
            context.Caller = Address.FromProtocol(invocation.Caller);
            var argument = invocation.Argument ?? new TypedValue();
            var valueType = string.IsNullOrEmpty(argument.Typename) ? TypeName.Of(Types.PrimitiveNamespace, "unknown") : TypeName.Parse(argument.Typename);
            await function.Invoke(context, new Message(target, valueType, argument.Value)).ConfigureAwait(false);
        }

        result.StateMutations.AddRange(context.Storage.Mutations());
        return new FromFunction { InvocationResult = result }.ToByteArray();
    }

    private static FromFunction MissingValues(IEnumerable<ValueSpec> missing)
    {
        var incomplete = new FromFunction.Types.IncompleteInvocationContext();
        foreach (var spec in missing)
        {
            var declared = new FromFunction.Types.PersistedValueSpec { StateName = spec.Name, TypeTypename = spec.TypeName.ToString() };
            if (spec.Expiration.Mode != ExpirationMode.None)
            {
                declared.ExpirationSpec = new FromFunction.Types.ExpirationSpec
                {
                    Mode = (FromFunction.Types.ExpirationSpec.Types.ExpireMode)spec.Expiration.Mode,
                    ExpireAfterMillis = (long)spec.Expiration.After.TotalMilliseconds,
                };
            }

            incomplete.MissingValues.Add(declared);
        }

        return new FromFunction { IncompleteInvocationContext = incomplete };
    }
}
