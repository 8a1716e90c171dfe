"""The LLM layer: chat-model factory, prompt files, fault handling."""
