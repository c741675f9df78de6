using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Controller;

namespace StatefunOperator.Operator.Hosting;

/// <summary>
/// JSON metadata, generated at build time, for every type the operator (de)serializes that the Kubernetes client's
/// own generated context does not hold: the custom resources and their lists, the watch events of each watched kind,
/// and the dictionaries of patch bodies. With it the operator needs no reflection-based serialization, which the
/// native (ahead-of-time compiled) operator does not have (<see cref="KubernetesJsonResolver"/>).
/// </summary>
[JsonSerializable(typeof(KafkaIngress))]
[JsonSerializable(typeof(KafkaEgress))]
[JsonSerializable(typeof(FunctionEndpoint))]
[JsonSerializable(typeof(CustomResourceList<KafkaIngress>))]
[JsonSerializable(typeof(CustomResourceList<KafkaEgress>))]
[JsonSerializable(typeof(CustomResourceList<FunctionEndpoint>))]
[JsonSerializable(typeof(Watcher<V1Deployment>.WatchEvent))]
[JsonSerializable(typeof(Watcher<V1StatefulSet>.WatchEvent))]
[JsonSerializable(typeof(Watcher<V1Secret>.WatchEvent))]
[JsonSerializable(typeof(Watcher<object>.WatchEvent))]
[JsonSerializable(typeof(Watcher<KubernetesObject>.WatchEvent))]
[JsonSerializable(typeof(Watcher<V1Status>.WatchEvent))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(KafkaIngressStatus))]
[JsonSerializable(typeof(KafkaEgressStatus))]
[JsonSerializable(typeof(FunctionEndpointStatus))]
[JsonSerializable(typeof(KafkaIngressSpec))]
[JsonSerializable(typeof(KafkaEgressSpec))]
[JsonSerializable(typeof(FunctionEndpointSpec))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class OperatorJsonContext : JsonSerializerContext;
