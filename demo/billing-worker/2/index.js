const express = require("express");
const { Queue } = require("bullmq");

const invoices = new Queue("invoices", { connection: { url: process.env.REDIS_URL } });
const app = express();

app.post("/invoices", async (req, res) => {
  await invoices.add("send", { at: Date.now() });
  res.status(202).end();
});

app.listen(process.env.PORT || 3000);
process.on("SIGTERM", () => invoices.close().then(() => process.exit(0)));
