using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using StatefunOperator.Operator.Metrics;

namespace StatefunOperator.Operator.Apply;

/// <summary>Records Kubernetes Events for important transitions. A failure to record is logged, never fatal.</summary>
public sealed class EventRecorder(IKubernetes client, string instance, ILogger logger, TimeProvider clock)
{
    public const string Component = "statefun-operator";
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> subject, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var metadata = subject.Metadata;
        var corev1Event = new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{metadata.Name}.{now.Ticks:x}",
                NamespaceProperty = metadata.NamespaceProperty,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = subject.ApiVersion,
                Kind = subject.Kind,
                Name = metadata.Name,
                NamespaceProperty = metadata.NamespaceProperty,
                Uid = metadata.Uid,
                ResourceVersion = metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message.Length > 1024 ? message[..1021] + "..." : message,
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            ReportingInstance = instance,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            OperatorMetrics.RecordWrite("event");
            await client.CoreV1.CreateNamespacedEventAsync(corev1Event, metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning("Could not record event {Reason} on {Kind} {Namespace}/{Name}: {Message}", reason, subject.Kind, metadata.NamespaceProperty, metadata.Name, exception.Message);
        }
    }
}
