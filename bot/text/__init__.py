"""Every word the bot says, as pure functions returning Telegram HTML (escaped, within limits).

One module per answer, named after what it answers; ``format`` holds the helpers for HTML,
numbers and Telegram's limits. Nothing here sends anything or touches data.
"""
