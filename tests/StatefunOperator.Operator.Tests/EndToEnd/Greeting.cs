namespace StatefunOperator.Operator.Tests.EndToEnd;

/// <summary>One greeting read from the egress topic: whom, the count the greeter's state gave, the name it answered, when the test saw it.</summary>
/// <param name="User">The record key: the greeter's function id.</param>
/// <param name="Seen">The count in "Hello &lt;name&gt;, seen &lt;n&gt; times".</param>
/// <param name="Sequence">The sequence number of the name record it answers (the test writes names as <c>user@seq</c>).</param>
/// <param name="ObservedAt">When the test's reader saw it (time since the journey started).</param>
public sealed record Greeting(string User, int Seen, long Sequence, TimeSpan ObservedAt);
