"""Writes python-session/: a session laid out and encoded as Strands for Python's FileSessionManager writes it.

Only the standard library is used. The shapes follow sdk-python's src/strands/types/session.py (field order of the
Session, SessionAgent and SessionMessage dataclasses, bytes as {"__bytes_encoded__": true, "data": <base64>},
datetime.isoformat() timestamps) and src/strands/session/file_session_manager.py (directory layout,
json.dump(indent=2, ensure_ascii=False), no trailing newline). Messages have the shapes the Python agent builds:
role before content, "metadata" (usage, metrics) on assistant messages, tool results as toolUseId, status, content.

Run: python3 write_python_session.py   (the tests only read its output; they never run Python)
"""

import base64
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python-session")
SESSION_ID = "python-session"
AGENT_ID = "default"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
)


def encode_bytes(value):
    if isinstance(value, bytes):
        return {"__bytes_encoded__": True, "data": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: encode_bytes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encode_bytes(v) for v in value]
    return value


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)


def stamp(second, micro):
    return f"2025-11-30T09:15:{second:02d}.{micro:06d}+00:00" if micro else f"2025-11-30T09:15:{second:02d}+00:00"


def assistant(content, input_tokens, output_tokens, latency):
    return {
        "role": "assistant",
        "content": content,
        "metadata": {
            "usage": {"inputTokens": input_tokens, "outputTokens": output_tokens, "totalTokens": input_tokens + output_tokens},
            "metrics": {"latencyMs": latency, "timeToFirstByteMs": latency // 3},
        },
    }


messages = [
    {"role": "user", "content": [{"text": "What's the weather in Zürich? Answer in °C."}]},
    assistant(
        [
            {"text": "Let me check the weather for you."},
            {"toolUse": {"toolUseId": "tooluse_Zrh01", "name": "get_weather", "input": {"city": "Zürich", "days": 1}}},
        ],
        412, 58, 1532,
    ),
    {
        "role": "user",
        "content": [
            {"toolResult": {"toolUseId": "tooluse_Zrh01", "status": "success", "content": [{"text": "{\"conditions\": \"sunny\", \"temperatureC\": 21.5}"}]}}
        ],
    },
    assistant([{"text": "It is sunny in Zürich, 21.5 °C.\n\nAnything else?"}], 503, 21, 901),
    {
        "role": "user",
        "content": [
            {"text": "What is in this picture?"},
            {"image": {"format": "png", "source": {"bytes": PNG}}},
        ],
    },
    assistant([{"text": "A single transparent pixel — \"tiny\" indeed."}], 1290, 17, 1104),
]

session_dir = os.path.join(ROOT, f"session_{SESSION_ID}")
write(
    os.path.join(session_dir, "session.json"),
    {"session_id": SESSION_ID, "session_type": "AGENT", "created_at": stamp(0, 104512), "updated_at": stamp(0, 104519)},
)
agent_dir = os.path.join(session_dir, "agents", f"agent_{AGENT_ID}")
write(
    os.path.join(agent_dir, "agent.json"),
    {
        "agent_id": AGENT_ID,
        "state": {"user_name": "Ada", "visits": 2, "preferences": {"units": "metric", "topics": ["weather", "images"]}},
        "conversation_manager_state": {
            "__name__": "SlidingWindowConversationManager",
            "removed_message_count": 0,
            "model_call_count": 0,
        },
        "_internal_state": {"interrupt_state": {"interrupts": {}, "context": {}, "activated": False}, "model_state": {}},
        "created_at": stamp(0, 211873),
        "updated_at": stamp(9, 0),
    },
)
for index, message in enumerate(messages):
    write(
        os.path.join(agent_dir, "messages", f"message_{index}.json"),
        encode_bytes(
            {
                "message": message,
                "message_id": index,
                "redact_message": None,
                "created_at": stamp(1 + index, 330000 + index),
                "updated_at": stamp(1 + index, 330000 + index),
            }
        ),
    )
