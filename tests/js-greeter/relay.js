// One half of the cross-SDK relay (the other half is written with the C# SDK in the runtime tests): js/relay gets a
// name from an ingress and sends "hello from js" to <other>/relay with the same id; when a function answers it,
// it writes what it got and who sent it to the Kafka egress. Usage:
//   node relay.js <port> <egress topic> <egress typename> <other namespace>
// Listens on 127.0.0.1 (or GREETER_HOST); prints "listening <port>" when ready.
"use strict";

const http = require("http");
const { StateFun, messageBuilder, kafkaEgressMessage } = require("apache-flink-statefun");

const [port, topic, egress, other] = [Number(process.argv[2]), process.argv[3], process.argv[4], process.argv[5]];
if (!Number.isInteger(port) || !topic || !egress || !other) {
  console.error("usage: node relay.js <port> <egress topic> <egress typename> <other namespace>");
  process.exit(2);
}

const statefun = new StateFun();
statefun.bind({
  typename: "js/relay",
  fn(context, message) {
    if (!context.caller) {
      context.send(messageBuilder({ typename: `${other}/relay`, id: context.self.id, value: "hello from js", valueType: StateFun.stringType() }));
      return;
    }
    const caller = `${context.caller.namespace}/${context.caller.name}/${context.caller.id}`;
    context.send(kafkaEgressMessage({
      typename: egress,
      topic: topic,
      key: context.self.id,
      value: `js/relay/${context.self.id} got '${message.asString()}' from ${caller}`,
    }));
  },
});

const server = http.createServer(statefun.handler());
server.listen(port, process.env.GREETER_HOST || "127.0.0.1", () => console.log(`listening ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
