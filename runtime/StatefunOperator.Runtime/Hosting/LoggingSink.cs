using System.Text;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Hosting;

/// <summary>
/// Logs every routed message with its targets. What the runtime does with an ingress that has no
/// function dispatcher yet: show what it consumes.
/// </summary>
public sealed class LoggingSink : IIngressSink<RoutableMessage>
{
    private readonly string _ingressId;
    private readonly ILogger _logger;

    public LoggingSink(string ingressId, ILogger logger)
    {
        _ingressId = ingressId;
        _logger = logger;
    }

    public ValueTask DeliverAsync(IngressRecord<RoutableMessage> record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = record.Message;
        _logger.LogInformation(
            "{Ingress} {Source} id={Id} type={ValueType} value={Value} -> {Targets}",
            _ingressId,
            $"{record.Source.Topic}/{record.Source.Partition.Value}@{record.Source.Offset.Value}",
            message.Id,
            message.ValueType,
            Preview(message.Value.Span),
            string.Join(", ", message.Targets));
        return ValueTask.CompletedTask;
    }

    private static string Preview(ReadOnlySpan<byte> value)
    {
        const int Max = 120;
        var text = Encoding.UTF8.GetString(value[..Math.Min(value.Length, Max)]);
        var printable = text.All(c => !char.IsControl(c) || c is '\n' or '\t');
        return printable
            ? (value.Length > Max ? text + "…" : text)
            : $"<{value.Length} bytes>";
    }
}
